"""Traffic forecasting and adaptive signals: Traffic Data Analytics System (§30) and Real-time Adaptive Traffic Signal System (§31)."""
