"""The published site, made from the store: links and navigation, front page, editions page, feed, search, claim pages, combined PDF, templates."""
