using System;
using Mnist;

var net = new MnistNet();
Console.WriteLine(MnistNet.Summary);
