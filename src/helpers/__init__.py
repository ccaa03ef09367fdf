"""Monthly public-service delivery indicators: ingest, indicator engine, data checks, reports."""
