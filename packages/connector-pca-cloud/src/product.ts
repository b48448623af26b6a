/**
 * PCAクラウド給与 as a PCA Web-API product. Its values are defined in @renkei/pca-webapi (products.ts),
 * so the protocol's own tests run against this very profile; correct them there.
 */
export { PCA_KYUYO } from '@renkei/pca-webapi';
