"""A SUMO simulation of a Hong Kong-style corridor: data to learn from when no feed is live."""
