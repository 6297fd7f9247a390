from rcmmatrix.cli import app

app(prog_name="rcmmatrix")
