# The site's tests are run by test_adoption.py, as subprocesses with the site's own settings;
# collected here they would import the site's models under hardsess's test settings.
collect_ignore = ["site"]
