/**
 * PCAクラウド給与 hyper as a PCA Web-API product. Its values are defined in @renkei/pca-webapi
 * (products.ts), so the protocol's own tests run against this very profile; correct them there.
 */
export { PCA_KYUYO_HYPER } from '@renkei/pca-webapi';
