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
# # Khám phá xu hướng các chỉ tiêu
#
# Notebook dành cho chuyên viên: chọn tỉnh, cấp, chỉ tiêu và đơn vị ở ô tham số, rồi chạy lại
# toàn bộ (Run All). Mọi con số lấy từ cùng bộ máy tính của báo cáo (`helpers.explore`).
#
# - Chưa có số liệu? Chạy `make lab` (nạp số liệu rồi mở JupyterLab) hoặc `python -m helpers ingest`.
# - Số liệu mô phỏng: `python -m helpers demo --out demo`, `python -m helpers ingest --data-dir demo`,
#   rồi đặt `data_dir = "demo"`, `province = "mo_phong"`.
# - Mã chỉ tiêu: `online_dossiers`, `online_payment`, `services_with_dossiers`,
#   `procedures_with_payment`, `digitized`, `e_result`, `reuse`; mã cấp: `cap_tinh`, `cap_huyen`, `cap_xa`.
# - `unit` là mã hoặc tên đơn vị; để trống là đơn vị xa mức giao nhất của cấp trong tháng mới nhất.

# %% tags=["parameters"]
province = "binh_dinh"  # mã tỉnh trong data/units/provinces.csv
unit = ""  # mã hoặc tên đơn vị; "" là đơn vị xa mức giao nhất
indicator = "online_dossiers"  # mã chỉ tiêu trong data/catalogue/indicators.csv
level = "cap_huyen"  # cấp: cap_tinh, cap_huyen, cap_xa (bỏ qua khi đã chọn đơn vị)
data_dir = ""  # thư mục dữ liệu (có units/, processed/); "" là thư mục data/ của dự án
language = "vi"  # ngôn ngữ nhãn: "vi" hoặc "en"

# %%
from IPython.display import display

from helpers.explore import open_exploration

explore = open_exploration(data_dir, province, indicator, level, unit, language)
print(explore.summary())

# %% [markdown] tags=["analyst-only"]
# Bảng số liệu của cả tỉnh (mọi tháng, mọi đơn vị, mọi chỉ tiêu), nhãn cột tiếng Việt: lọc,
# xoay, xuất Excel tuỳ ý, ví dụ `bang[bang["Kết quả"] == "Chưa đạt"]` hoặc
# `bang.to_excel("bang.xlsx")`. `explore.units` là cùng bảng với tên cột gốc (tiếng Anh) để viết mã.

# %%
bang = explore.table()
display(bang)

# %% [markdown] tags=["analyst-only"]
# Lịch sử của đơn vị: tỷ lệ, mức giao, kết quả và hạng trong các đơn vị cùng cấp qua từng tháng;
# rồi bảng xếp hạng của cấp trong tháng mới nhất (`explore.ranking("2024-01")` cho tháng khác).

# %%
display(explore.history(), explore.ranking())

# %% [markdown] tags=["analyst-only"]
# Biểu đồ (seaborn, trả về `Axes` của matplotlib): sửa ở ô sau, ví dụ `ax.set_ylim(50, 100)`,
# `ax.set_title("...")`, `ax.figure.set_size_inches(10, 4)`, `ax.figure.savefig("xu_huong.png", dpi=200)`.

# %%
ax = explore.trend_chart()

# %%
ax = explore.ranking_chart()
