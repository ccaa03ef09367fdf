# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# Bộ chỉ số 766 report for one province and snapshot. Papermill overrides these parameters;
# the batch runner lists its jobs with helpers.index766.render_jobs(). Run
# `python -m helpers index766` first so that data/processed/<province>/766/ exists.
province = "gia_lai"
# "" = the latest snapshot; or a date such as 10/10/2026 or 2026-10-10
snapshot_date = ""
# year_to_date, quarter or month
period_kind = "year_to_date"
# None = the bundled data/ folder
data_dir = None
# units listed per level or group
laggards = 10
# vi or en
language = "vi"

# %%
from IPython.display import Image, Markdown, display

from helpers.context import Context
from helpers.index766 import analyse_index766, charts, report

analysis = analyse_index766(Context.load(data_dir), province, snapshot_date or None, period_kind)
display(Markdown(report.title(analysis, language)))

# %%
display(Markdown(report.section("groups", analysis, laggards, language)))
display(report.display_table(report.group_table(analysis, language), language))
display(Image(charts.png(charts.group_chart(analysis, language))))

# %%
display(Markdown(report.section("rank", analysis, laggards, language)))
display(report.display_table(report.rank_table(analysis, language), language))

# %%
display(Markdown(report.section("laggards", analysis, laggards, language)))
display(report.display_table(report.laggards_by_total(analysis, laggards, language), language))

# %%
display(Markdown(report.section("by_group", analysis, laggards, language)))
display(report.display_table(report.group_band_counts(analysis, language), language))
display(report.display_table(report.laggards_by_group(analysis, laggards, language), language))

# %%
display(Markdown(report.section("changes", analysis, laggards, language)))
display(report.display_table(report.fell_back_table(analysis, language), language))
display(report.display_table(report.persistent_low_table(analysis, laggards, language), language))

# %%
display(Markdown(report.section("stakes", analysis, laggards, language)))
display(report.display_table(report.province_stakes_table(analysis, language), language))
display(report.display_table(report.stakes_table(analysis, laggards, language), language))
display(Image(charts.png(charts.stakes_chart(analysis, laggards, language))))
display(report.display_table(report.unit_indicator_stakes_table(analysis, laggards, language), language))
display(report.display_table(report.levers_table(analysis, laggards, language), language))
display(Markdown(report.lever_note(analysis, language)))

# %%
display(Markdown(report.section("draft", analysis, laggards, language)))
display(Markdown(report.draft_text(analysis, laggards, language)))

# %%
display(Markdown(report.section("checks", analysis, laggards, language)))
display(report.display_table(report.checks_table(analysis, language), language))
