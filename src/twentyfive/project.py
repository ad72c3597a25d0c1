"""Where a twentyfive project keeps its inputs and outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """A project folder: ``data/ ontology/ shapes/ queries/`` in, ``dist/`` out."""

    root: Path
    dist_override: Path | None = None
    #: where dist/site/ is deployed (robots.txt, sitemap, w3id.org redirects); None: a placeholder
    site_base: str | None = None
    #: prebuild the documents and pages of roster entities too (else the server renders them)
    all_pages: bool = False

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def dist_dir(self) -> Path:
        return self.dist_override if self.dist_override is not None else self.root / "dist"

    @classmethod
    def at(cls, root: str | Path = ".", dist: str | Path | None = None) -> Project:
        return cls(Path(root).resolve(), Path(dist).resolve() if dist is not None else None)

    def relative(self, path: Path) -> Path:
        """``path`` relative to the project root where it lies inside it (for messages)."""
        try:
            return path.resolve().relative_to(self.root)
        except ValueError:
            return path
