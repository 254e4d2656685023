module example.com/fakebench

go 1.26
