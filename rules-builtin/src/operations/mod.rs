//! Scalability and operations: Prisma versions and upgrades, preview features, connection
//! pooling, serverless deployment, generators, and Prisma Client instantiation.
