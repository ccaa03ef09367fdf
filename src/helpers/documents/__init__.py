"""The documents an office files each month: the Word report with its appendices, the Excel
appendices, the 766 notice and the leadership digest. Every figure is the engine's."""
