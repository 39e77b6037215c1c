/// HDF5 artifacts and the content-addressed artifact store.
