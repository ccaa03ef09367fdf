"""The monthly HTML report: sections for the notebook, charts, drafted text, export, batch runner.

notebooks/monthly_report.ipynb calls ``monthly.open_report`` and shows one section per cell;
``batch`` executes notebooks with papermill and ``export`` turns them into the self-contained
HTML files leadership opens; ``index_page`` lists every report rendered.
"""
