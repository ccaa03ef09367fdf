"""analysis/monthly"""
