"""Tools an author runs besides the build: start a post, import a PyBlosxom
blog. They are not part of a build, so editing them changes no fingerprint
and invalidates no cache."""
