"""Production settings: ``invoke preview`` / ``invoke publish`` and the deploy workflow."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# The public address of the site, e.g. https://<user>.github.io/<repo>
SITEURL = os.environ.get("SITEURL", "https://tech-roundup.github.io").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
DELETE_OUTPUT_DIRECTORY = True
