"""SearchGenerator: the Pagefind index of the site, once every page is written.

The last of the plugin's generators (Pelican's static files follow; Pagefind
reads only pages). With ``SEARCH_INDEX`` off it writes nothing. The speed
layer may give it a :attr:`SearchGenerator.bundle_source`: bundles made
while the site was being written, or kept from the site being replaced.
"""

from __future__ import annotations

import logging

from pelican.generators import Generator

from ..errors import BuildStopped
from .shards import BundleSource, SearchIndexError, index_site

logger = logging.getLogger(__name__)


class SearchGenerator(Generator):
    """Writes ``pagefind/`` (:func:`roundup.search.shards.index_site`)."""

    #: Bundles made elsewhere (:class:`~roundup.search.shards.BundleSource`); ``None``: none.
    bundle_source: BundleSource | None = None

    def generate_output(self, writer) -> None:
        if not self.settings["SEARCH_INDEX"]:
            return
        try:
            index_site(self.output_path, source=self.bundle_source)
        except SearchIndexError as error:
            logger.error("%s", error)
            raise BuildStopped("the search index could not be made") from error
        finally:
            if self.bundle_source is not None:
                self.bundle_source.close()
