"""Knowledge-graph embeddings: the graph as tensors, KGE decoders and GNN encoders trained by
the one Trainer, filtered ranking, nearest neighbours, a 2-D map, and the rules+embeddings mix."""
