"""Browser, on a phone (390×844): no text is cut, runs off the screen or lies on other text on
the Overview and Reactions pages, in their default view and after a selection."""

import pytest

from tests.e2e.conftest import wait_for_drawing

PHONE = {"width": 390, "height": 844}

#: Every visible text of the main area, checked in the page itself: HTML text wider than its box
#: (cut or ellipsed), outside the window or cut by a container that hides overflow; every text of a
#: Plotly figure (tick labels, names above bars, notes, legends) inside its figure and not on top
#: of another text of the same figure. Returns the problems found.
CLIPPED = r"""() => {
  const vw = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid=stMain]');
  const problems = [];
  const describe = (el) => (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const visible = (r) => r.width > 0 && r.height > 0;
  // 1. HTML text: wider than its box (cut or ellipsis), or outside the window
  for (const el of main.querySelectorAll('p, span, a, label, li, h1, h2, h3, h4, h5, h6, button, [data-testid=stMetricValue], [data-testid=stMetricLabel]')) {
    if (el.closest('svg, [data-testid=stDataFrame], [data-testid=stPlotlyChart]')) continue;
    if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = el.getBoundingClientRect();
    if (!visible(r)) continue;
    const style = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && (style.overflowX !== 'visible' || style.textOverflow === 'ellipsis'))
      problems.push(['cut', describe(el), el.scrollWidth, el.clientWidth]);
    if (r.right > vw + 1 || r.left < -1) problems.push(['outside the window', describe(el), Math.round(r.left), Math.round(r.right)]);
    // inside every ancestor that hides what overflows it
    for (let a = el.parentElement; a && a !== main; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const b = a.getBoundingClientRect();
      if (r.right > b.right + 1 || r.left < b.left - 1) { problems.push(['cut by its container', describe(el), Math.round(r.right), Math.round(b.right)]); }
      break;
    }
  }
  // 2. Plotly: every text inside its figure, and no two texts of a figure on top of each other
  for (const chart of main.querySelectorAll('[data-testid=stPlotlyChart]')) {
    const svg = chart.querySelector('svg.main-svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    if (!visible(box)) continue;
    if (box.right > vw + 1) problems.push(['chart wider than the window', chart.closest('[class*=st-key-]')?.className.match(/st-key-\S+/)?.[0], Math.round(box.right)]);
    const texts = [...chart.querySelectorAll('svg text')].filter(t => t.textContent.trim()).map(t => [t, t.getBoundingClientRect()]).filter(([, r]) => visible(r));
    for (const [t, r] of texts) {
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        problems.push(['cut by its chart', describe(t), Math.round(r.left - box.left), Math.round(box.right - r.right)]);
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i][1], b = texts[j][1];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) problems.push(['texts on top of each other', describe(texts[i][0]), describe(texts[j][0])]);
    }
  }
  return problems;
}
"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", [
    "",
    "reactions",
    "reactions?group=Private+sector&reaction=Disagree&reactions_heat_value=Disagree&reactions_scale=Counts",
])
def test_no_text_is_clipped_on_a_phone(phone, demo_server, path):
    phone.goto(f"{demo_server.url}/{path}")
    wait_for_drawing(phone)
    charts = phone.get_by_test_id("stPlotlyChart")
    assert charts.count() >= 4                          # the page was drawn (the check has something to see)
    assert phone.evaluate("() => document.documentElement.clientWidth") == PHONE["width"]
    assert phone.evaluate(CLIPPED) == []
