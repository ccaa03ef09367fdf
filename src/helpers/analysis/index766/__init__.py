"""analysis/index766"""
