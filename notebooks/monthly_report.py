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
# # Báo cáo chỉ tiêu dịch vụ công hằng tháng
#
# Notebook này dựng báo cáo HTML lãnh đạo đọc mỗi tháng; mỗi dòng gọi một hàm của
# `helpers.report.monthly.page` và hiện một phần của báo cáo. Các ô chữ (gắn thẻ `analyst-only`) chỉ
# dành cho chuyên viên, không có trong bản HTML.
#
# - Chạy hàng loạt cho mọi tháng: `python -m helpers report` (hoặc `make report`).
# - Khám phá một tháng: sửa tham số ở ô dưới rồi chạy lại toàn bộ (Run All).
#
# Lãnh đạo cần thấy, theo thứ tự: chỉ tiêu nào của cả tỉnh và của cấp nào chưa đạt chỉ tiêu
# Trung ương hoặc chỉ tiêu tỉnh giao (ô đỏ, vàng) và thay đổi so với tháng trước; đoạn văn soạn
# sẵn để chép vào báo cáo (phần nguyên nhân, kiến nghị do chuyên viên viết).

# %% tags=["parameters"]
month = "2024-02"  # tháng báo cáo, YYYY-MM
province = "binh_dinh"  # mã tỉnh trong data/units/provinces.csv
data_dir = ""  # thư mục dữ liệu (có units/, processed/); "" là thư mục data/ của dự án
laggards = 5  # số đơn vị chưa đạt hiển thị cho mỗi chỉ tiêu
language = "vi"  # ngôn ngữ báo cáo: "vi" hoặc "en"

# %%
from IPython.display import display

from helpers.report.monthly.page import open_report

report = open_report(data_dir, province, month, language, laggards)
display(report.header(), report.summary(), report.drafted_text())

# %% [markdown] tags=["analyst-only"]
# Ai cần đôn đốc: các đơn vị xa chỉ tiêu nhất và số hồ sơ mỗi đơn vị còn thiếu; bức tranh mức đạt
# của mọi đơn vị; ai tiến bộ, ai tụt lại so với tháng trước (ngưỡng `notable_change_pp` trong
# data/catalogue/settings.csv); xu hướng của cả tỉnh và từng cấp qua các tháng. Sau đó là những
# con số cần thận trọng trước khi ký báo cáo và bảng đầy đủ theo cấp như các phụ lục; dòng cuối
# là tóm tắt cho trang mục lục `reports/index.html` (không hiện trong báo cáo).

# %%
display(report.laggards(), report.attainment(), report.movers(), report.trends())
display(report.data_checks(), report.appendix(), report.headline())
