"""What officials and analysts read: KPIs and trends, theme reports and their files, hot
issues and spike alerts."""
