from flask_wtf.file import FileField, FileRequired

from lms.forms import BaseForm
from lms.i18n import lazy_gettext as _l


class LogoForm(BaseForm):
    logo = FileField(_l("Logo (PNG or SVG, at most 512 KB)"),
                     validators=[FileRequired(_l("Choose a file to upload."))])
