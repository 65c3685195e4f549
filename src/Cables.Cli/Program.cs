Console.Error.WriteLine("cablectl: commands land with issues #2 and #4");
return 2;
