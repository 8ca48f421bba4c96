"""``qaward`` command line: up | worker | api | migrate | backup | restore | simulate | bench."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from qaward.preflight import ConfigError, settings_error
from qaward.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qaward", description="庆元县人民政府质量奖 评审管理服务")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("up", help="启动内嵌环境：Temporal 开发服务器 + worker + API")
    sub.add_parser("worker", help="只启动 worker（连接外部 Temporal）")
    backup = sub.add_parser("backup", help="备份内嵌环境（服务运行时亦可）到一个空目录")
    backup.add_argument("folder", help="备份目录（须为空或不存在）")
    restore = sub.add_parser("restore", help="从备份目录恢复数据目录（须先停止服务）")
    restore.add_argument("folder", help="qaward backup 写出的目录")
    sub.add_parser("api", help="只启动 HTTP API（连接外部 Temporal）")
    sub.add_parser("migrate", help="执行数据库迁移到最新版本")
    simulate = sub.add_parser("simulate", help="运行情景文件，输出 JSON 结果")
    simulate.add_argument("scenario", help="情景 YAML 文件")
    simulate.add_argument("--timeline", metavar="DIR", help="把周期和称号的时间线（SVG）写入该目录")
    simulate.add_argument(
        "--compare", metavar="RULES.yaml", help="再按这些规则覆盖项运行一次，并列输出两次结果的差异"
    )
    simulate.add_argument("--json", action="store_true", help="与 --compare 合用：差异输出为 JSON")
    bench = sub.add_parser("bench", help="性能基准：10/100/1000 个申报")
    bench.add_argument("--sizes", default="10,100,1000", help="申报数，逗号分隔；空＝不跑")
    bench.add_argument(
        "--http", type=int, default=None, metavar="N", help="HTTP 命令延迟的次数（0＝不测）"
    )
    bench.add_argument(
        "--public",
        type=float,
        default=None,
        metavar="SECONDS",
        help="公开页面吞吐每轮秒数（0＝不测）",
    )
    bench.add_argument(
        "--rehearsal",
        type=int,
        default=100,
        metavar="N",
        help="规则预演测时的申报数（原规则＋新规则，目标 < 30 秒；0＝不测）",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ConfigError as error:
        print(error.line, file=sys.stderr)
    except ValidationError as error:
        if error.title != Settings.__name__:  # only settings errors are configuration errors
            raise
        print(settings_error(error).line, file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2


def _run(args: argparse.Namespace) -> int:
    if args.command in ("backup", "restore"):
        from qaward.backup import backup_command, restore_command

        command = backup_command if args.command == "backup" else restore_command
        return command(args.folder)
    if args.command == "up":
        from qaward.stack import run_stack

        return run_stack()
    if args.command == "worker":
        from worker.run import run_worker_command

        return run_worker_command()
    if args.command == "api":
        from api.serve import run_api_command

        return run_api_command()
    if args.command == "migrate":
        from qaward.stack import run_migrate_command

        return run_migrate_command()
    if args.command == "simulate" and args.compare:
        from sim.compare import compare_command

        return compare_command(args.compare, args.scenario, args.json)
    if args.command == "simulate":
        from sim.cli import simulate_command

        return simulate_command(args.scenario, args.timeline)
    from sim.bench import bench_command

    sizes = [int(s) for s in args.sizes.split(",") if s]
    return bench_command(sizes, args.http, args.public, args.rehearsal)


if __name__ == "__main__":
    sys.exit(main())
