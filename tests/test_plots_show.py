"""plots.show: a widget's figure is displayed as a PNG that carries its alt text, live and on the site."""
import base64
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_rnn import plots  # noqa: E402


@pytest.fixture
def shown(monkeypatch):
    import IPython.display

    displayed = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: displayed.append(obj))
    return displayed


def test_the_figure_becomes_one_png_image_with_the_alt_text_escaped(shown):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    plots.show(fig, 'norm < 1e-3 at lag 50, "tanh" & σ = 1.50')
    (output,) = shown
    html = output.data
    assert html.count("<img") == 1
    assert 'alt="norm &lt; 1e-3 at lag 50, &quot;tanh&quot; &amp; σ = 1.50"' in html
    data = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html).group(1)
    assert base64.b64decode(data).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_figure_is_closed_so_the_inline_backend_does_not_show_it_twice(shown):
    fig, _ = plt.subplots()
    plots.show(fig, "a figure")
    assert not plt.fignum_exists(fig.number)
