"""Service configuration: YAML with `${VAR:default}` substitution, as `nameko run` reads it, and the settings
every service reads the same way."""
from zoneinfo import ZoneInfo

import yaml


def load_config(path):
    from nameko.cli.main import setup_yaml_parser  # the CLI's import chain is only needed to read a file

    setup_yaml_parser()
    with open(path) as handle:
        return yaml.safe_load(handle)


DEFAULT_TIME_ZONE = "Asia/Shanghai"


def site_time_zone(config):
    """The sites' time zone (config TIME_ZONE): what "today", "the day" and opening hours mean."""
    return ZoneInfo(str(config.get("TIME_ZONE", DEFAULT_TIME_ZONE)))
