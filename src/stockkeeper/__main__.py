from stockkeeper.cli import main

main()
