"""Facts drawn from the news: rule-based extraction of losses, strikes, combat reports, exchanges and places."""
