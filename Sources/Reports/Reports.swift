/// Statistics, charts and tables for result sets.
