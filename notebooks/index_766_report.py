# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
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

# %% [markdown] tags=["analyst-only"]
# # Báo cáo Bộ chỉ số 766
#
# Notebook này dựng báo cáo HTML về Bộ chỉ số 766 của một tỉnh tại một kỳ số liệu (ngày lấy số
# liệu trên Cổng DVCQG); mỗi dòng gọi một hàm của `helpers.report.index766.page`. Các ô chữ (gắn thẻ
# `analyst-only`) chỉ dành cho chuyên viên, không có trong bản HTML.
#
# - Chạy hàng loạt: `python -m helpers report` (cùng báo cáo hằng tháng), sau `python -m helpers ingest`.
# - Khám phá: sửa tham số ở ô dưới rồi chạy lại toàn bộ (Run All).
#
# Lãnh đạo cần thấy: điểm của tỉnh theo 6 nhóm so với điểm tối đa (đỏ dưới 50%, vàng 50–70%,
# ngưỡng trong data/catalogue/settings.csv), xếp hạng và thay đổi so với kỳ trước.

# %% tags=["parameters"]
province = "gia_lai"  # mã tỉnh trong data/units/provinces.csv
snapshot_date = ""  # ngày lấy số liệu, 10/10/2026 hoặc 2026-10-10; "" là kỳ mới nhất
period_kind = "year_to_date"  # year_to_date (lũy kế năm), quarter hoặc month
period = ""  # kỳ số liệu: 2026 (năm), 2026-Q3 (quý), 2026-02 (tháng); "" là kỳ mới nhất lấy ngày đó
data_dir = ""  # thư mục dữ liệu (có units/, processed/); "" là thư mục data/ của dự án
laggards = 10  # số đơn vị hiển thị mỗi cấp hoặc mỗi nhóm
language = "vi"  # ngôn ngữ báo cáo: "vi" hoặc "en"

# %%
from IPython.display import display

from helpers.report.index766.page import open_page

page = open_page(data_dir, province, snapshot_date, period_kind, language, laggards, period)
display(page.header(), page.groups(), page.rank())

# %% [markdown] tags=["analyst-only"]
# Đơn vị nào kéo điểm tỉnh xuống: thấp nhất theo tổng điểm và theo từng nhóm, ai giảm từ
# `notable_change_points` điểm trở lên, ai ở mức đỏ nhiều kỳ liên tiếp; điểm bị mất và số hồ sơ
# cần thêm để lấy lại; đoạn văn soạn sẵn; số liệu cần đối chiếu. Dòng cuối là tóm tắt cho trang
# mục lục `reports/index.html` (không hiện trong báo cáo).

# %%
display(page.laggards(), page.by_group(), page.changes(), page.history(), page.stakes(), page.actions())
display(page.draft(), page.data_checks(), page.headline())
