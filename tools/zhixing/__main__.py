from zhixing.launch import run

run()
