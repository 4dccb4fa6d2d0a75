global using Archives.Contracts;
