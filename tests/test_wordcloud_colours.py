"""The word cloud draws with viridis like wordcloud's own colour function, without loading pyplot."""

import io
import subprocess
import sys

from coding.themes import charts

FREQUENCIES = {f"ord{i}": float(1000 // (i + 1)) for i in range(120)} | {"æblegrød": 50.0, "Øl": 30.0}


def test_the_cloud_is_the_one_wordclouds_viridis_draws():
    from wordcloud import WordCloud

    own = WordCloud(width=450, height=210, scale=charts.WORDCLOUD_SCALE, background_color="white", colormap="viridis",
                    prefer_horizontal=0.95, random_state=7, max_words=len(FREQUENCIES))
    buffer = io.BytesIO()
    own.generate_from_frequencies(FREQUENCIES).to_image().save(buffer, format="PNG")
    assert charts.wordcloud_png(FREQUENCIES) == buffer.getvalue()


def test_drawing_a_cloud_does_not_load_pyplot():
    code = ("import sys; from coding.themes import charts; assert charts.wordcloud_png({'hus': 3.0, 'ven': 1.0});"
            " print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert out.stdout.strip() == "False"
