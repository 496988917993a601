from zhixing.cli import run

run()
