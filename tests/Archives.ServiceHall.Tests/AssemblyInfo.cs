using Archives.ServiceHall.Tests.World;

// One federation for the whole assembly: starting it takes most of a minute on two cores.
[assembly: AssemblyFixture(typeof(HallWorld))]

// One browser flow at a time: they share the world (a test stops a node) and two cores, where
// parallel flows would turn the gateway's deadlines into flakes.
[assembly: Xunit.v3.Parallelization(Mode = Xunit.Sdk.ParallelMode.None)]
