"""Answered calls from the routing system, judged against eligibility."""
