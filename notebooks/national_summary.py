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
# # Báo cáo tổng hợp toàn quốc
#
# Notebook này dựng báo cáo HTML tổng hợp một tháng của mọi tỉnh có số liệu; mỗi dòng gọi một
# hàm của `helpers.report.national.page`. Các ô chữ (gắn thẻ `analyst-only`) chỉ dành cho chuyên
# viên, không có trong bản HTML.
#
# - Chạy hàng loạt cho mọi tháng: `python -m helpers report --national`.
# - Khám phá một tháng: sửa tham số ở ô dưới rồi chạy lại toàn bộ (Run All).
#
# Lãnh đạo cần thấy: tỷ lệ toàn quốc của từng chỉ tiêu (tổng tử số chia tổng mẫu số của các
# tỉnh, không phải trung bình các tỷ lệ) so với chỉ tiêu Trung ương, và tỉnh nào chưa đạt.

# %% tags=["parameters"]
month = "2024-02"  # tháng báo cáo, YYYY-MM
data_dir = ""  # thư mục dữ liệu (có units/, processed/); "" là thư mục data/ của dự án
laggards = 5  # số tỉnh chưa đạt hiển thị cho mỗi chỉ tiêu
language = "vi"  # ngôn ngữ báo cáo: "vi" hoặc "en"

# %%
from IPython.display import display

from helpers.report.national.page import open_national

report = open_national(data_dir, month, language, laggards)
display(report.header(), report.summary(), report.provinces())

# %% [markdown] tags=["analyst-only"]
# Tỉnh nào cần đôn đốc: các tỉnh xa chỉ tiêu Trung ương nhất và số hồ sơ mỗi tỉnh còn thiếu;
# bức tranh mức đạt của mọi tỉnh; xu hướng của tỷ lệ toàn quốc; số liệu cần thận trọng của
# từng tỉnh; bảng tử số/mẫu số để đối chiếu. Dòng cuối là tóm tắt cho trang mục lục.

# %%
display(report.laggards(), report.heatmap(), report.trends())
display(report.data_checks(), report.appendix(), report.headline())
