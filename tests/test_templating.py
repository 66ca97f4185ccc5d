"""Addresses built for templates: kept once built, and always what flask.url_for gives."""

from flask import url_for

from lms.templating import kept_url_for


def test_the_app_has_no_url_defaults_so_a_built_address_stays_true(app):
    """kept_url_for keeps addresses per endpoint and values: a URL-defaults function
    (which may add values from the request) would make that wrong."""
    assert app.url_default_functions == {}
    assert app.url_value_preprocessors == {}


def test_kept_addresses_are_flasks_under_any_root_and_with_any_values(app):
    cases = [("main.index", {}),
             ("accreditation.public.verify", {"public_id": "RJ-2026-ABCD"}),
             ("accreditation.public.register", {"q": "Jones & Co", "page": 2}),
             ("accreditation.public.register", {"page": "2"}),
             ("accreditation.public.register", {"flag": True}),
             ("accreditation.public.register", {"flag": 1}),
             ("accreditation.public.register", {"level": ["a", "b"]}),  # not a key: built
             ("accreditation.public.register", {"_anchor": "results"}),
             ("accreditation.public.register", {"_external": True})]
    for root in ("", "/lms"):
        with app.test_request_context("/", base_url=f"https://lms.example.org{root}/"):
            for _ in range(2):  # built, then kept
                for endpoint, values in cases:
                    assert kept_url_for(endpoint, **values) == url_for(endpoint, **values)
            assert kept_url_for("accreditation.public.register", flag=True).endswith("flag=True")
            assert kept_url_for("accreditation.public.register", flag=1).endswith("flag=1")
            assert kept_url_for("main.index") == f"{root}/"


def test_outside_a_request_addresses_are_flasks_own(app, monkeypatch):
    """A job rendering a page has no request (and no script root): flask.url_for's rules
    apply, here a configured server name; nothing is kept from one to the other."""
    monkeypatch.setitem(app.config, "SERVER_NAME", "lms.example.org")
    with app.app_context():
        assert kept_url_for("accreditation.public.verify", public_id="RJ-1") == url_for(
            "accreditation.public.verify", public_id="RJ-1") == \
            "http://lms.example.org/verify/RJ-1"


def test_the_templates_calls_pass_and_give_what_jinjas_own_give(app):
    """lms.templating.TemplateContext calls a plain function itself: for every kind of
    callable, in loops, blocks and macros, the page is what Jinja's own context gives."""
    from jinja2 import Environment, pass_context, pass_environment, pass_eval_context
    from jinja2.runtime import Context

    from lms.templating import TemplateContext

    def plain(*args, **kwargs):
        return f"plain{args}{sorted(kwargs.items())}"

    @pass_eval_context
    def escaping(eval_ctx, text):
        return f"{eval_ctx.autoescape}:{text}"

    @pass_context
    def seen(context, name):  # Jinja gives it the loop's variables: not ours to skip
        return f"{name}={context.get(name)}"

    @pass_environment
    def environment(env, text):
        return f"{type(env).__name__}:{text}"

    class Callable:
        @pass_context
        def __call__(self, context, name):
            return f"called {name}={context.get(name)}"

    def stops():
        raise StopIteration

    source = ("{{ plain(1, 'a', key='<b>') }}|{{ escaping('<i>') }}|{{ environment('e') }}|"
              "{% for item in ['x', 'y'] %}{% set inner = item %}{{ seen('inner') }} "
              "{{ plain(item) }} {{ thing('inner') }};{% endfor %}"
              "{% macro m(v) %}{{ plain(v) }}{{ seen('v') }}{% endmacro %}{{ m('in macro') }}|"
              "[{{ stops() }}]|{% set kept = plain('set') %}{{ kept }}|"
              "{% block b %}{% set here = 'in block' %}{{ seen('here') }}{{ plain(here) }}"
              "{% endblock %}")
    values = {"plain": plain, "escaping": escaping, "seen": seen, "environment": environment,
              "thing": Callable(), "stops": stops}
    rendered = {}
    for context_class in (Context, TemplateContext):
        for autoescape in (True, False):
            env = Environment(autoescape=autoescape)  # noqa: S701 - both ways compared
            env.context_class = context_class
            rendered[context_class, autoescape] = env.from_string(source).render(values)
    for autoescape in (True, False):
        assert rendered[TemplateContext, autoescape] == rendered[Context, autoescape]
    page = rendered[TemplateContext, True]
    assert page.startswith("plain(1, &#39;a&#39;)[(&#39;key&#39;, &#39;&lt;b&gt;&#39;)]|"
                           "True:&lt;i&gt;|Environment:e|inner=x plain(&#39;x&#39;,)[] "
                           "called inner=x;inner=y")
    assert page.endswith("|[]|plain(&#39;set&#39;,)[]|here=in block"
                         "plain(&#39;in block&#39;,)[]")
    assert app.jinja_env.context_class is TemplateContext
