"""report/index766"""
