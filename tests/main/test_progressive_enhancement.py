"""The one page script is served from the site itself (the Content-Security-Policy allows
only 'self'), and what it improves also works without it."""


def test_every_page_loads_the_script_from_the_site_and_it_is_served(client):
    page = client.get("/login")
    assert '<script src="/static/js/site.js" defer></script>' in page.get_data(as_text=True)
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    with client.get("/static/js/site.js") as script:
        assert script.status_code == 200
        assert "javascript" in script.headers["Content-Type"]
        body = script.get_data(as_text=True)
    assert "data-label" in body
    assert "error-summary" in body


def test_a_failed_form_puts_focus_on_its_error_summary_even_without_the_script(client):
    html = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert '<div class="error-summary" role="alert" tabindex="-1" autofocus>' in html
