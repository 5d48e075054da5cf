"""`python -m svckit.healthcheck <service> [config.yaml]`: exit 0 when the service answers its health RPC.

For container health checks: the service's consumer queues exist once it answers, so
others may start producing events it must not miss.
"""
import sys

import eventlet

eventlet.monkey_patch()

from nameko.standalone.rpc import ClusterRpcProxy  # noqa: E402

from svckit.config import load_config  # noqa: E402


def main(argv=None):
    argv = argv if argv is not None else sys.argv[1:]
    if not argv:
        print("usage: python -m svckit.healthcheck <service> [config.yaml]", file=sys.stderr)
        return 2
    config = load_config(argv[1] if len(argv) > 1 else "config.yaml")
    try:
        with ClusterRpcProxy({"AMQP_URI": config["AMQP_URI"]}, timeout=5) as cluster:
            report = getattr(cluster, argv[0]).health()
    except Exception as exc:
        print(f"{argv[0]}: unhealthy: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"{argv[0]}: {report.get('status')}")
    return 0 if report.get("status") == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
