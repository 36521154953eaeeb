"""Read models for pages, reports and the API: no writes."""
