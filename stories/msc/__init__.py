"""The Most Significant Change cycle for every story: domains of change, reporting periods,
selection up the organisation with reasons, feedback, verification and meta-monitoring."""
