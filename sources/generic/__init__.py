"""The reader of any outlet's article page, from what news pages commonly declare."""
