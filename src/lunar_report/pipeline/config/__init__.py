"""What a render is asked: reports.toml, the user's settings, limits, paper, the site's address, and every check made before a report runs."""
