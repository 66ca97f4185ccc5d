from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from lms.forms import BaseForm


class LogoForm(BaseForm):
    logo = FileField(_l("Logo (PNG or SVG, at most 512 KB)"),
                     validators=[FileRequired(_l("Choose a file to upload."))])
