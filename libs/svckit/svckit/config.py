"""Service configuration: YAML with `${VAR:default}` substitution, as `nameko run` reads it."""
import yaml
from nameko.cli.main import setup_yaml_parser


def load_config(path):
    setup_yaml_parser()
    with open(path) as handle:
        return yaml.safe_load(handle)
