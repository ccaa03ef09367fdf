"""report/national"""
