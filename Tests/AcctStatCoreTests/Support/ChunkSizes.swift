/// Chunk sizes every parser fixture is fed at (STYLE.md).
let chunkSizes = [1, 2, 3, 7, 64, 4096, Int.max]
