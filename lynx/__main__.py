from lynx.cli import main

main()
