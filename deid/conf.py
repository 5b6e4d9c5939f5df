"""The bundled configuration folder and the one way to find a named config in it."""

from __future__ import annotations

from pathlib import Path

CONF_DIR = Path(__file__).resolve().parent.parent / "conf"


def resolve_conf(kind: str, name_or_path: str | Path, what: str) -> Path:
    """A bundled config name (``conf/<kind>/<name>.yaml``) or a path to a YAML file."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        if not path.is_file():
            raise FileNotFoundError(f"{what} file {path} does not exist")
        return path
    bundled = CONF_DIR / kind / f"{name_or_path}.yaml"
    if not bundled.is_file():
        available = sorted(p.stem for p in (CONF_DIR / kind).glob("*.yaml"))
        raise ValueError(f"unknown {what} {name_or_path!r}; bundled ones are {available}, or pass a .yaml path")
    return bundled
