"""report/monthly"""
